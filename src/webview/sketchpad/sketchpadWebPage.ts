// The sketchpad as the prediction server's web page: the server connection first, then the panel's own code.
import './serverConnection';
import './sketchpadPage';
